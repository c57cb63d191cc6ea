package io.infercore.access;

import io.quarkus.logging.LoggingFilter;
import org.jboss.logmanager.ExtLogRecord;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * Masks secrets in every log record before a handler writes it (console and file handlers name it
 * as their filter in {@code application.properties}): the formatted message and the messages of an
 * attached exception chain, whatever logged them (this service, Quarkus, the HTTP client, a library).
 */
@LoggingFilter(name = SecretsLogFilter.NAME)
public final class SecretsLogFilter implements Filter {

    public static final String NAME = "secrets";

    @Override
    public boolean isLoggable(LogRecord record) {
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        String masked = Secrets.redact(message);
        if (masked != null && !masked.equals(message)) {
            if (record instanceof ExtLogRecord ext) {
                ext.setMessage(masked, ExtLogRecord.FormatStyle.NO_FORMAT);
            } else {
                record.setMessage(masked);
            }
            record.setParameters(null);
        }
        if (record.getThrown() != null && chainHoldsSecret(record.getThrown())) {
            record.setThrown(RedactedThrowable.of(record.getThrown()));
        }
        return true;
    }

    private static boolean chainHoldsSecret(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (Secrets.holdsSecret(c.getMessage())) {
                return true;
            }
        }
        return false;
    }

    /** A stand-in for a logged exception whose message held a secret: same class name shown, stack and causes, masked text. */
    static final class RedactedThrowable extends RuntimeException {
        private final String className;

        private RedactedThrowable(String className, String message, Throwable cause) {
            super(message, cause, false, true);
            this.className = className;
        }

        static Throwable of(Throwable original) {
            Throwable cause = original.getCause() == null || original.getCause() == original ? null : of(original.getCause());
            RedactedThrowable copy = new RedactedThrowable(original.getClass().getName(),
                    Secrets.redact(original.getMessage()), cause);
            copy.setStackTrace(original.getStackTrace());
            return copy;
        }

        @Override
        public String toString() {
            String message = getLocalizedMessage();
            return message == null ? className : className + ": " + message;
        }
    }
}
