"""One module per external authority (Crossref, PubMed) behind one small
interface: each answers batches of normalised identifiers with Lookups."""
