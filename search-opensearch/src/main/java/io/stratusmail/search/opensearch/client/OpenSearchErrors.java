package io.stratusmail.search.opensearch.client;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.opensearch.client.opensearch._types.OpenSearchException;

/** Reading failures of opensearch-java futures. */
public final class OpenSearchErrors {

    private OpenSearchErrors() {
    }

    /** The cause under the {@link CompletionException}/{@link ExecutionException} wrappers of a future. */
    public static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /** True when the failure is an OpenSearch error response of the given {@code error.type}. */
    public static boolean isType(Throwable failure, String type) {
        return unwrap(failure) instanceof OpenSearchException error
                && error.error() != null
                && type.equals(error.error().type());
    }

    /**
     * A short description of a failure for a log line: the OpenSearch error type and HTTP status, or the
     * exception class and message of a transport failure. Never the error's reason text, which can quote
     * document content.
     */
    public static String describe(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof OpenSearchException error) {
            String type = error.error() == null ? "unknown" : error.error().type();
            return "opensearch_error type=" + type + " status=" + error.status();
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : " (" + oneLine(message) + ")");
    }

    private static String oneLine(String message) {
        String line = message.replaceAll("[\\r\\n]+", " ");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
