package io.infercore.api;

import io.infercore.access.Open;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;

/** {@code /redoc} leads to the ReDoc page (static, offline) that reads {@code /q/openapi}. */
@Open
@Path("/redoc")
@Tag(name = "Health")
public class DocsResource {

    @GET
    @Operation(summary = "ReDoc API reference", description = "Redirects to /redoc/, a page rendering /q/openapi")
    public Response redoc() {
        return Response.seeOther(URI.create("/redoc/")).build();
    }
}
