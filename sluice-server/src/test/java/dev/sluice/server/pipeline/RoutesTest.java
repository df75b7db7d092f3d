package dev.sluice.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javalin.Javalin;
import org.junit.jupiter.api.Test;

class RoutesTest {
  private final Routes routes = Routes.platform(Javalin.create());

  @Test
  void aRouteTakenTwiceNamesBothOwners() {
    routes.get("/api/pipelines", ctx -> {});
    routes.forPipeline("reviews").get("/api/reviews/top", ctx -> {});

    assertThatThrownBy(() -> routes.forPipeline("security").get("/api/pipelines", ctx -> {}))
        .hasMessage(
            "pipeline security registers GET /api/pipelines, which the platform already serves");
    assertThatThrownBy(() -> routes.forPipeline("calls").get("/api/reviews/top", ctx -> {}))
        .hasMessage(
            "pipeline calls registers GET /api/reviews/top, which pipeline reviews already serves");
  }

  @Test
  void theSamePathMayServeAnotherMethod() {
    routes.forPipeline("reviews").post("/api/reviews", ctx -> {});

    assertThat(routes.forPipeline("reviews").get("/api/reviews", ctx -> {})).isNotNull();
  }

  @Test
  void pipelineRoutesStayUnderApi() {
    assertThatThrownBy(() -> routes.forPipeline("reviews").get("/metrics", ctx -> {}))
        .hasMessage("pipeline reviews registers GET /metrics: pipeline routes live under /api/");
  }
}
