"""The control side of the live player, drawn with Dear ImGui (imgui-bundle): the panel, the clip
browser, filmstrip thumbnails.  Nothing here ever draws on the projector's output."""
