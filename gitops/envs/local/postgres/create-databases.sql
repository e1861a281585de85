-- Runs once, on an empty data directory (the image's docker-entrypoint-initdb.d).
CREATE DATABASE todo;
CREATE DATABASE notification;
CREATE DATABASE recurring;
CREATE DATABASE audit;
CREATE DATABASE dapr_state;
