"""GL adapters: contexts, shader loading, YUV textures and the zoom compositor (moderngl)."""
