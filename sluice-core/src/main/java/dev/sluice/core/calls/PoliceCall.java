package dev.sluice.core.calls;

/**
 * A police call for service as it travels on the {@value CallsDefinition#TOPIC} topic: one record
 * of San Francisco's published "Police Department Calls for Service" dataset, every field a string
 * as the dataset writes it (JSON, UTF-8). {@link PoliceCallCodec} decodes and checks it.
 *
 * @param crimeId the call's id in the dataset ({@code crime_id}); the Kafka key
 * @param callType {@code original_crime_type_name}, e.g. {@code "Passing Call"}
 * @param callDateTime {@code call_date_time}, San Francisco wall time, e.g. {@code
 *     "2018-12-31T23:57:00.000"}
 * @param disposition the radio code of how the call ended, e.g. {@code "HAN"}
 */
public record PoliceCall(
    String crimeId,
    String callType,
    String reportDate,
    String callDate,
    String offenseDate,
    String callTime,
    String callDateTime,
    String disposition,
    String address,
    String city,
    String state,
    String agencyId,
    String addressType,
    String commonLocation) {
  public static final int MAX_CRIME_ID_CHARS = 40;
  public static final int MAX_CALL_TYPE_CHARS = 100;
  public static final int MAX_DISPOSITION_CHARS = 10;
  public static final int MAX_ADDRESS_CHARS = 200;

  /** The other fields: dates, times, city and the like. */
  public static final int MAX_OTHER_CHARS = 100;
}
