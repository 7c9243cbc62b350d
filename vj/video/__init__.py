"""Video demux/decode layer (mpv style): decoders produce YUV frames; they never draw or schedule."""
