"""PointSkel's pure-numpy core: image -> mask -> lifted cloud -> contraction -> bone tree.

Nothing here imports `bpy`; the Blender layer and the CLI only translate to and from these modules.
"""
