"""Format loaders: PDF, Word, HTML and Markdown files turned into text in the conventions that
``ingest.sections`` reads (see ``ingest.formats.blocks``). Each module registers nothing itself;
``ingest.load`` maps file extensions to them."""
