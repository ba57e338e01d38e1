"""The one compiled part: the single-pass betweenness and closeness engine (stakeholder_graph/_allpaths.c).

Everything else is declared in pyproject.toml.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "stakeholder_graph._allpaths",
            sources=["stakeholder_graph/_allpaths.c"],
            extra_compile_args=["-O3", "-std=c11", "-pthread"],
            extra_link_args=["-pthread"],
        )
    ]
)
