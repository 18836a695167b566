/* lablink-export.c — placeholder, being written */
