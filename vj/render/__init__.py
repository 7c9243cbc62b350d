"""The player core shared by rehearsal and live play: clip sources, frame output."""
