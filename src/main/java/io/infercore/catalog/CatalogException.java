package io.infercore.catalog;

/** A catalog file that cannot be used; the message names the file, the JSON path and the reason. */
public class CatalogException extends IllegalStateException {

    public CatalogException(String message) {
        super(message);
    }
}
