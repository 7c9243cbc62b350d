"""Live play: windows, frame pacing, keyboard, HUD and the control panel around the shared player core."""
