"""Audio input and analysis: sources produce sample blocks, processors turn them into snapshots."""
