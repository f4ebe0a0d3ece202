"""Page content built from the model: pure functions returning Markdown, registered as macros.

Nothing here imports MkDocs: ``k8sdocs.macros`` is the only module that does. Each public content
function takes the ``ExampleBook`` first, then the arguments a page passes, and returns Markdown.
"""
