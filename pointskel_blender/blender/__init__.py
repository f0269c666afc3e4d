"""The Blender layer: every module that imports `bpy` (registration, operators, panels, properties,
preferences, scene building, controls, Rigify) and the background jobs they run.

It only translates: the decisions live in the `bpy`-free `core` (image to skeleton) and `rig`
(skeleton to rig geometry). Nothing here is imported until Blender calls `register()`.
"""
