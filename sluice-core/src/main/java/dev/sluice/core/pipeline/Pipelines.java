package dev.sluice.core.pipeline;

import dev.sluice.core.config.ConfigException;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The registry of pipelines: every {@link PipelineDefinition} registered on the classpath, checked
 * once when read, in name order.
 */
public final class Pipelines {
  private final List<PipelineDefinition> definitions;

  private Pipelines(List<PipelineDefinition> definitions) {
    this.definitions = List.copyOf(definitions);
  }

  /** The pipelines registered on this process's classpath. */
  public static Pipelines registered() {
    List<PipelineDefinition> found = new ArrayList<>();
    ServiceLoader.load(PipelineDefinition.class, Pipelines.class.getClassLoader())
        .forEach(found::add);
    return of(found);
  }

  /**
   * A registry of the given definitions; fails on a bad name, or a pipeline or query name used
   * twice.
   */
  public static Pipelines of(List<PipelineDefinition> definitions) {
    List<PipelineDefinition> sorted = new ArrayList<>(definitions);
    sorted.sort(Comparator.comparing(PipelineDefinition::name));
    Set<String> names = new HashSet<>();
    Map<String, String> queryOwners = new HashMap<>();
    for (PipelineDefinition definition : sorted) {
      String name = definition.name();
      requireName("pipeline " + definition.getClass().getName() + " is named", name);
      if (!names.add(name)) {
        throw new IllegalStateException("two pipelines are registered as '" + name + "'");
      }
      for (String query : definition.queries()) {
        requireName("pipeline " + name + " has a query named", query);
        String owner = queryOwners.putIfAbsent(query, name);
        if (owner != null) {
          throw new IllegalStateException(
              "the query name '" + query + "' is used twice, by " + owner + " and " + name);
        }
      }
    }
    return new Pipelines(sorted);
  }

  private static void requireName(String what, String name) {
    if (!name.matches(PipelineDefinition.NAME_PATTERN)) {
      throw new IllegalStateException(
          what + " '" + name + "': expected " + PipelineDefinition.NAME_PATTERN);
    }
  }

  public List<PipelineDefinition> all() {
    return definitions;
  }

  public List<String> names() {
    return definitions.stream().map(PipelineDefinition::name).toList();
  }

  public Optional<PipelineDefinition> find(String name) {
    return definitions.stream().filter(d -> d.name().equals(name)).findFirst();
  }

  /**
   * The pipeline whose producer {@code ./sluice produce <word>} runs: {@code word} is its name or
   * its {@link PipelineDefinition#producerName()}; a {@link ConfigException} listing the producers
   * otherwise.
   */
  public PipelineDefinition requireProducer(String word) {
    List<PipelineDefinition> producing =
        definitions.stream().filter(d -> d.producer().isPresent()).toList();
    return producing.stream()
        .filter(d -> d.name().equals(word) || d.producerName().equals(word))
        .findFirst()
        .orElseThrow(
            () ->
                new ConfigException(
                    "no producer '"
                        + word
                        + "': expected one of "
                        + String.join(
                            ", ",
                            producing.stream().map(PipelineDefinition::producerName).toList())));
  }

  /** The named pipeline; a {@link ConfigException} naming the registered ones otherwise. */
  public PipelineDefinition require(String name) {
    return find(name)
        .orElseThrow(
            () ->
                new ConfigException(
                    "unknown pipeline '"
                        + name
                        + "': expected one of "
                        + String.join(", ", names())));
  }

  /** The named pipelines, each once, in the order given; fails listing every unknown name. */
  public List<PipelineDefinition> requireAll(List<String> names) {
    List<String> unknown = names.stream().filter(n -> find(n).isEmpty()).distinct().toList();
    if (!unknown.isEmpty()) {
      throw new ConfigException(
          "unknown pipeline"
              + (unknown.size() > 1 ? "s " : " ")
              + unknown.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", "))
              + ": expected "
              + String.join(", ", names()));
    }
    return names.stream().distinct().map(this::require).toList();
  }

  /**
   * Instantiates a pipeline's part in this module: the class named by its definition, which must
   * implement {@code type} and have a public no-argument constructor.
   */
  public static <T> T part(PipelineDefinition pipeline, String className, Class<T> type) {
    try {
      Class<?> found = Class.forName(className, true, Pipelines.class.getClassLoader());
      if (!type.isAssignableFrom(found)) {
        throw new IllegalStateException(
            "pipeline "
                + pipeline.name()
                + ": "
                + className
                + " does not implement "
                + type.getName());
      }
      return type.cast(found.getConstructor().newInstance());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(
          "pipeline "
              + pipeline.name()
              + ": its part "
              + className
              + " is not on this module's classpath",
          e);
    } catch (NoSuchMethodException | InstantiationException | IllegalAccessException e) {
      throw new IllegalStateException(
          "pipeline "
              + pipeline.name()
              + ": "
              + className
              + " needs a public no-argument constructor",
          e);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException(
          "pipeline " + pipeline.name() + ": " + className + " failed to start: " + e.getCause(),
          e.getCause());
    }
  }
}
