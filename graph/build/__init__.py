"""The build: documents -> validated graph on disk (the pipeline), its commands, extraction cache and outputs."""
