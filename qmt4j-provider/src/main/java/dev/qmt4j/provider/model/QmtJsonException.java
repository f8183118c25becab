package dev.qmt4j.provider.model;

/** JSON that does not have the shape of the QueryMT type it was read as; the message names the JSON path. */
public final class QmtJsonException extends IllegalArgumentException {
    private final String path;

    /** @param path JSON pointer of the offending value ("" for the root) @param message what is wrong */
    public QmtJsonException(String path, String message) {
        super((path.isEmpty() ? "/" : path) + ": " + message);
        this.path = path;
    }

    /** The JSON pointer of the offending value. */
    public String path() {
        return path;
    }
}
