"""Rig geometry without `bpy`: where the figure stands (`placement`), its deform bones (`layout`), the
image mesh (`surface`), which bones may weight which pixels (`weights`), and the controls on top
(`control_plan`, `rigify_plan`). The Blender layer writes these answers into Blender data.
"""
