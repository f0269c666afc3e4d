"""The command-line front ends: `python -m pointskel_blender` (`run`, no Blender), the headless
Blender batch job (`batch`, with its `--jobs` worker pool in `workers`) and the Open3D viewer.

`arguments` is what they share, so that none imports another.
"""
