package dev.floe.catalog.tls;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;

/** A minimal endpoint for the TLS listener tests; loaded only in their application contexts. */
@Requires(property = "spec.name", value = "TlsIT")
@Controller("/tls-probe")
class TlsProbeController {

    @Get
    @Produces(MediaType.TEXT_PLAIN)
    String probe() {
        return "ok";
    }
}
