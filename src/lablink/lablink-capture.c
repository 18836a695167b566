/* lablink-capture.c — placeholder, being written */
