/* lablink-ring.c — placeholder, being written */
