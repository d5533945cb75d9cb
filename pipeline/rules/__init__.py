"""Rule data: pattern files and the title lexicon, loaded and validated."""
