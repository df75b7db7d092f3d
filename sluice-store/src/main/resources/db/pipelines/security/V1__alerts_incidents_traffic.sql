-- The security pipeline's tables (docs/tables.md describes every column).

-- What the store's incident logic runs with: the quiet period after which an incident closes. One
-- row; the pipeline writes its configured value when it starts.
CREATE TABLE security_settings (
  singleton     boolean  PRIMARY KEY DEFAULT true CHECK (singleton),
  quiet_period  interval NOT NULL CHECK (quiet_period > interval '0')
);
INSERT INTO security_settings (quiet_period) VALUES (interval '60 seconds');

-- One row per finding: an injection found in one field of one event (keyed by the event's Kafka
-- coordinates, the class, the rule and the field), or a flood seen in one event-time window (keyed
-- by class, topic, source, target and window). Writes are idempotent upserts on those keys, so a
-- replayed record or batch writes the same rows again.
CREATE TABLE alerts (
  id               bigserial   PRIMARY KEY,
  pipeline         text        NOT NULL,
  topic            text        NOT NULL,
  kafka_partition  integer,
  kafka_offset     bigint,
  event_id         text,
  class            text        NOT NULL,
  rule             text        NOT NULL,
  field            text        NOT NULL,
  excerpt          text        NOT NULL,
  source           text        NOT NULL,
  target           text        NOT NULL,
  event_time       timestamptz NOT NULL,
  window_start     timestamptz,
  window_end       timestamptz,
  events           bigint      NOT NULL CHECK (events > 0),
  sources          bigint      NOT NULL DEFAULT 1 CHECK (sources > 0),
  appended_at      timestamptz,
  detected_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
  incident_id      bigint,
  CHECK ((kafka_offset IS NULL) = (window_start IS NOT NULL)),
  CHECK ((window_start IS NULL) = (window_end IS NULL))
);
CREATE UNIQUE INDEX alerts_event_finding
  ON alerts (topic, kafka_partition, kafka_offset, class, rule, field) WHERE kafka_offset IS NOT NULL;
CREATE UNIQUE INDEX alerts_flood_window
  ON alerts (class, topic, source, target, window_start) WHERE window_start IS NOT NULL;
CREATE INDEX alerts_detected_at ON alerts (detected_at);
CREATE INDEX alerts_event_time ON alerts (event_time);
CREATE INDEX alerts_incident ON alerts (incident_id);

-- Alerts of one class from one source against one target, no further apart in event time than the
-- quiet period, make one incident. The store keeps incidents from the alerts as they are written
-- (the trigger below), so a replay, which writes no new alert, never opens or grows one.
CREATE TABLE incidents (
  id                 bigserial   PRIMARY KEY,
  class              text        NOT NULL,
  source             text        NOT NULL,
  target             text        NOT NULL,
  opened_at          timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL,
  closed_at          timestamptz,
  events             bigint      NOT NULL CHECK (events > 0),
  alerts             bigint      NOT NULL CHECK (alerts > 0),
  first_detected_at  timestamptz NOT NULL,
  CHECK (opened_at <= updated_at),
  CHECK (closed_at IS NULL OR closed_at > updated_at)
);
CREATE INDEX incidents_key ON incidents (class, source, target, opened_at);
CREATE INDEX incidents_open ON incidents (updated_at) WHERE closed_at IS NULL;
CREATE INDEX incidents_opened_at ON incidents (opened_at);

-- Files one alert into its incident: the incident of its class, source and target whose span,
-- widened by the quiet period, the alert's span touches, or a new one. An alert that touches
-- several (it arrived late, between two) folds them into the earliest. events counts the attack's
-- size: the events that raised an injection alert (each once, whatever it matched), or the
-- largest window count of a flood (an event's findings are written in one statement, and the
-- trigger runs after all of them: the first by id counts the event). Runs after the row is written, so an upsert that changed
-- nothing is not counted; one key at a time (an advisory lock), so concurrent writers agree.
CREATE FUNCTION alerts_file_incident() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  quiet       interval;
  flood       boolean     := NEW.window_start IS NOT NULL;
  span_start  timestamptz := COALESCE(NEW.window_start, NEW.event_time);
  span_end    timestamptz := COALESCE(NEW.window_end, NEW.event_time);
  touching    bigint[];
  into_id     bigint;
  new_events  bigint      := 0;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    -- A flood window that grew: its incident grows with it.
    UPDATE incidents
       SET events = GREATEST(events, NEW.events),
           updated_at = GREATEST(updated_at, span_end)
     WHERE id = NEW.incident_id;
    RETURN NULL;
  END IF;
  SELECT quiet_period INTO quiet FROM security_settings;
  PERFORM pg_advisory_xact_lock(hashtextextended(NEW.class || ' ' || NEW.source || ' ' || NEW.target, 0));
  IF flood THEN
    new_events := NEW.events;
  ELSIF NOT EXISTS (
      SELECT 1 FROM alerts
       WHERE topic = NEW.topic AND kafka_partition = NEW.kafka_partition
         AND kafka_offset = NEW.kafka_offset AND class = NEW.class AND id < NEW.id) THEN
    new_events := 1;
  END IF;
  SELECT array_agg(id ORDER BY opened_at, id) INTO touching
    FROM incidents
   WHERE class = NEW.class AND source = NEW.source AND target = NEW.target
     AND opened_at - quiet <= span_end AND updated_at + quiet >= span_start;
  IF touching IS NULL THEN
    INSERT INTO incidents (class, source, target, opened_at, updated_at, events, alerts, first_detected_at)
    VALUES (NEW.class, NEW.source, NEW.target, span_start, span_end, GREATEST(new_events, 1), 1, NEW.detected_at)
    RETURNING id INTO into_id;
  ELSE
    into_id := touching[1];
    IF cardinality(touching) > 1 THEN
      UPDATE alerts SET incident_id = into_id WHERE incident_id = ANY (touching[2:]);
      UPDATE incidents i
         SET opened_at = LEAST(i.opened_at, folded.opened_at),
             updated_at = GREATEST(i.updated_at, folded.updated_at),
             events = CASE WHEN flood THEN GREATEST(i.events, folded.largest) ELSE i.events + folded.total END,
             alerts = i.alerts + folded.alerts,
             first_detected_at = LEAST(i.first_detected_at, folded.first_detected_at)
        FROM (SELECT min(opened_at) AS opened_at, max(updated_at) AS updated_at, sum(events) AS total,
                     max(events) AS largest, sum(alerts) AS alerts, min(first_detected_at) AS first_detected_at
                FROM incidents WHERE id = ANY (touching[2:])) folded
       WHERE i.id = into_id;
      DELETE FROM incidents WHERE id = ANY (touching[2:]);
    END IF;
    UPDATE incidents
       SET opened_at = LEAST(opened_at, span_start),
           updated_at = GREATEST(updated_at, span_end),
           closed_at = NULL,
           events = CASE WHEN flood THEN GREATEST(events, new_events) ELSE events + new_events END,
           alerts = alerts + 1
     WHERE id = into_id;
  END IF;
  UPDATE alerts SET incident_id = into_id WHERE id = NEW.id;
  RETURN NULL;
END $$;

CREATE TRIGGER alerts_file_incident_on_insert AFTER INSERT ON alerts
  FOR EACH ROW EXECUTE FUNCTION alerts_file_incident();
CREATE TRIGGER alerts_file_incident_on_growth AFTER UPDATE OF events ON alerts
  FOR EACH ROW WHEN (NEW.events > OLD.events AND NEW.incident_id IS NOT NULL)
  EXECUTE FUNCTION alerts_file_incident();

-- Closes the incidents whose quiet period event time has passed: called with the newest event time
-- a batch saw. Skips incidents a writer holds; the next call closes them. Returns how many closed.
CREATE FUNCTION close_quiet_incidents(seen timestamptz) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  closed bigint;
BEGIN
  UPDATE incidents i SET closed_at = i.updated_at + s.quiet_period
    FROM security_settings s
   WHERE i.id IN (SELECT id FROM incidents, security_settings q
                   WHERE closed_at IS NULL AND updated_at + q.quiet_period < seen
                   FOR UPDATE OF incidents SKIP LOCKED);
  GET DIAGNOSTICS closed = ROW_COUNT;
  RETURN closed;
END $$;

-- Traffic per minute of event time: what each source sent to each target and port, by protocol,
-- from packets (input 'packets', events = packets) and sensor events (input 'sensor-events',
-- events = requests or connections). origin 'stream' is the streaming query's; './sluice batch
-- traffic DIR' writes 'batch:<DIR>', so a bounded run never overwrites the stream's rows and a
-- second run over the same files writes the same rows. dst_port 0: the protocol has no ports.
CREATE TABLE traffic_minutes (
  origin     text        NOT NULL,
  minute     timestamptz NOT NULL,
  input      text        NOT NULL,
  source     text        NOT NULL,
  target     text        NOT NULL,
  dst_port   integer     NOT NULL CHECK (dst_port BETWEEN 0 AND 65535),
  proto      text        NOT NULL,
  events     bigint      NOT NULL CHECK (events > 0),
  bytes      bigint      NOT NULL CHECK (bytes >= 0),
  last_seen  timestamptz NOT NULL,
  PRIMARY KEY (origin, minute, input, source, target, dst_port, proto)
);
CREATE INDEX traffic_minutes_minute ON traffic_minutes (origin, minute);
