package io.infercore.ui;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dev-mode route serves the UI's source folder as it is on disk, edits included. */
class FrontendDevRoutesTest {

    @TempDir
    Path project;

    private Vertx vertx;
    private HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        Path frontend = Files.createDirectories(project.resolve("frontend/js"));
        Files.writeString(project.resolve("frontend/index.html"), "<html>ui</html>");
        Files.writeString(frontend.resolve("app.js"), "// version 1");
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        FrontendDevRoutes.register(router, project.resolve("frontend"));
        router.route().handler(ctx -> ctx.response().setStatusCode(404).end("next route"));
        server = vertx.createHttpServer().requestHandler(router).listen(0)
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.actualPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anEditedFileIsServedAsItIsNowOnDisk() throws Exception {
        assertEquals("// version 1", get("/js/app.js").body());
        Files.writeString(project.resolve("frontend/js/app.js"), "// version 2, edited");
        assertEquals("// version 2, edited", get("/js/app.js").body());
        HttpResponse<String> root = get("/");
        assertEquals(200, root.statusCode());
        assertEquals("<html>ui</html>", root.body());
    }

    @Test
    void aPathThatNamesNoFileFallsThroughToTheNextRoute() throws Exception {
        HttpResponse<String> missing = get("/api/v1/models");
        assertEquals(404, missing.statusCode());
        assertEquals("next route", missing.body());
    }

    @Test
    void theSourceFolderIsFoundFromTheProjectOrItsBuildDirectory() throws Exception {
        Files.writeString(project.resolve("pom.xml"), "<project/>");
        Path build = Files.createDirectories(project.resolve("target"));
        assertEquals(project.resolve("frontend"), FrontendDevRoutes.sourceFolder(project).orElseThrow());
        assertEquals(project.resolve("frontend"), FrontendDevRoutes.sourceFolder(build).orElseThrow());
    }

    @Test
    void theSearchStopsAtTheProjectWithoutAFrontendFolder() throws Exception {
        Path other = Files.createDirectories(project.resolve("other/module"));
        Files.writeString(project.resolve("other/pom.xml"), "<project/>");
        assertTrue(FrontendDevRoutes.sourceFolder(other).isEmpty());
    }
}
