/* lablink-decimate.c — placeholder, being written */
