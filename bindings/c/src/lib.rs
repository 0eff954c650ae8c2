//! voronka c binding: lands with its issue.
