"""kamervragen-kg: a knowledge graph of Dutch parliamentary written questions.

The package reads like its pipeline: ``read`` (files to text) -> ``parse``
(text to the typed model of ``kg.model``) -> ``mapping`` (model to triples)
-> ``validate`` (SHACL) -> ``write`` (dumps and the build report), driven by
``kg.build``. No stage imports a later one; heavy libraries are imported only
by the stage that needs them.
"""
from __future__ import annotations

__version__ = "0.1.0"
