package dev.sluice.loadgen.security;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.records.JsonRecords;
import java.util.List;

/**
 * One scripted attack as it happened, on topic {@value #TOPIC}: what {@code ./sluice eval security}
 * compares incidents and alerts against. The detectors never read it. An injection is one event
 * (one record per payload sent); a flood is every event of the flood.
 *
 * @param attack the attack's id, unique in the run
 * @param attackClass what it is
 * @param sources the client addresses that sent it, each once, in order of first event
 * @param target the {@code dst} of its events
 * @param onset event time of its first event, epoch ms
 * @param end event time of its last event, epoch ms
 * @param events the ids of exactly the events it comprises, in the order sent
 * @param field where an injection's payload is: {@code query:<parameter>}, {@code body:<parameter>}
 *     or {@code header:<name>}; {@code null} for a flood
 * @param payload the wordlist entry an injection carries, as the list has it; {@code null} for a
 *     flood
 */
public record AttackTruth(
    String attack,
    AttackClass attackClass,
    List<String> sources,
    String target,
    long onset,
    long end,
    List<String> events,
    String field,
    String payload) {
  /** Ground truth (JSON, UTF-8), keyed by attack id. */
  public static final String TOPIC = "sensor-truth";

  public AttackTruth {
    sources = List.copyOf(sources);
    events = List.copyOf(events);
  }

  /** The wire form: {@code {"attack":..,"class":..,"sources":[..],"target":..,"onset":..,...}}. */
  public byte[] encode() {
    ObjectNode node = JsonRecords.newObject();
    node.put("attack", attack);
    node.put("class", attackClass.wire());
    ArrayNode sourceArray = node.putArray("sources");
    sources.forEach(sourceArray::add);
    node.put("target", target);
    node.put("onset", onset);
    node.put("end", end);
    ArrayNode eventArray = node.putArray("events");
    events.forEach(eventArray::add);
    if (field != null) {
      node.put("field", field);
    }
    if (payload != null) {
      node.put("payload", payload);
    }
    return JsonRecords.write(node);
  }
}
