//! Documents for voronka: rendering lands with the documents issue.
