package io.infercore.ui;

import io.quarkus.runtime.LaunchMode;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * In {@code quarkus:dev}, serves the web UI straight from the source folder {@code frontend/}, so
 * an edit shows on the next reload.
 *
 * <p>The build packages {@code frontend/} into the jar under {@code META-INF/resources} (a Maven
 * resource with a {@code targetPath}). Quarkus' dev mode copies changed resources itself but
 * ignores {@code targetPath}, so without this route an edited file would stay stale until the next
 * full build. In every other launch mode (tests, the jar, the native executable) nothing is
 * registered and the packaged copy is served.
 */
@ApplicationScoped
public class FrontendDevRoutes {

    private static final Logger LOG = Logger.getLogger(FrontendDevRoutes.class);

    /** The folder holding the UI's source, relative to the project directory. */
    static final String SOURCE_FOLDER = "frontend";

    void install(@Observes Router router) {
        if (LaunchMode.current() != LaunchMode.DEVELOPMENT) {
            return;
        }
        sourceFolder(Path.of("").toAbsolutePath()).ifPresentOrElse(
                dir -> {
                    register(router, dir);
                    LOG.infof("Dev mode: the web UI is served live from %s", dir);
                },
                () -> LOG.warnf("Dev mode: no %s/index.html found; the packaged UI is served", SOURCE_FOLDER));
    }

    /**
     * Serves GET and HEAD requests for files under {@code dir}, uncached, ahead of the packaged
     * static content; a path that names no file falls through to the next route.
     */
    static void register(Router router, Path dir) {
        StaticHandler files = StaticHandler.create(FileSystemAccess.ROOT, dir.toString())
                .setCachingEnabled(false)
                .setDirectoryListing(false)
                .setIncludeHidden(false);
        router.route().order(Integer.MIN_VALUE).method(HttpMethod.GET).method(HttpMethod.HEAD).handler(files);
    }

    /**
     * Finds {@code frontend/} from the dev-mode working directory, which is the project directory or
     * its build directory depending on how dev mode was started.
     */
    static Optional<Path> sourceFolder(Path workingDir) {
        for (Path base = workingDir; base != null; base = base.getParent()) {
            Path candidate = base.resolve(SOURCE_FOLDER);
            if (Files.isRegularFile(candidate.resolve("index.html"))) {
                return Optional.of(candidate);
            }
            if (Files.isRegularFile(base.resolve("pom.xml"))) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
