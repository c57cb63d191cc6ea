package io.infercore.access;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a REST resource class that needs no API key (health, docs redirect). Every other resource
 * requires one once keys are configured: forgetting this annotation closes an endpoint, never opens one.
 * Routes outside REST resources ({@code /q/health/*}, {@code /q/metrics}, {@code /q/openapi}, the
 * Swagger UI and the static web UI) are not filtered at all.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Open {
}
