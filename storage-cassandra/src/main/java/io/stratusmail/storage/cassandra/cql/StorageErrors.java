package io.stratusmail.storage.cassandra.cql;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.RequestThrottlingException;
import com.datastax.oss.driver.api.core.connection.BusyConnectionException;
import com.datastax.oss.driver.api.core.connection.ClosedConnectionException;
import com.datastax.oss.driver.api.core.connection.HeartbeatException;
import com.datastax.oss.driver.api.core.servererrors.CASWriteUnknownException;
import com.datastax.oss.driver.api.core.servererrors.DefaultWriteType;
import com.datastax.oss.driver.api.core.servererrors.QueryExecutionException;
import com.datastax.oss.driver.api.core.servererrors.WriteTimeoutException;
import io.stratusmail.mailbox.StorageUnavailableException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Maps driver failures to the store's contract: anything that means "not committed or not read at the
 * configured consistency" (timeouts, too few replicas, no connection, overload) becomes
 * {@link StorageUnavailableException}; programming errors (invalid query, syntax) stay as they are.
 */
public final class StorageErrors {

    private StorageErrors() {
    }

    /** The cause behind {@link CompletionException}/{@link ExecutionException} wrappers. */
    public static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /**
     * The exception a caller of the store sees for {@code error}.
     *
     * @param operation what was attempted, for the message (e.g. {@code "append"})
     */
    public static Throwable translate(Throwable error, String operation) {
        Throwable e = unwrap(error);
        if (isUnavailable(e)) {
            return new StorageUnavailableException(operation + " failed: " + e.getMessage(), e);
        }
        return e;
    }

    /** Whether the failure is transient unavailability of the cluster rather than a bug. */
    public static boolean isUnavailable(Throwable error) {
        Throwable e = unwrap(error);
        return e instanceof QueryExecutionException
                || e instanceof DriverTimeoutException
                || e instanceof AllNodesFailedException
                || e instanceof BusyConnectionException
                || e instanceof ClosedConnectionException
                || e instanceof HeartbeatException
                || e instanceof RequestThrottlingException;
    }

    /**
     * Whether a conditional write failed with an unknown outcome: its Paxos proposal may still be
     * committed by a later round, so the caller must check before retrying it.
     */
    public static boolean isUnknownCasOutcome(Throwable error) {
        Throwable e = unwrap(error);
        return e instanceof CASWriteUnknownException
                || (e instanceof WriteTimeoutException wte && wte.getWriteType() == DefaultWriteType.CAS)
                || e instanceof DriverTimeoutException;
    }
}
