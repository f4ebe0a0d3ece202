"""Hostile text shared by the tests that check it is drawn as inert text (issue 15, item 5)."""

#: A diagram label carrying a Mermaid directive, a Mermaid arrow and statement, markup, an entity and quotes.
HOSTILE_STEP = "Paso %%{init: {'theme': 'forest'}}%% -->> etcd: <b>x</b> & \"y\""
