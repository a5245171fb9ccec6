package io.stratusmail.mailbox.user;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Persistent accounts: a user and the PHC-format hash of its password (see {@link PasswordHasher}).
 * Implementations never see a clear-text password.
 */
public interface UserRepository {

    /** Creates the user or replaces its password hash. Completes once durable. */
    CompletionStage<Void> put(Username user, String passwordHash);

    /** The stored password hash, empty when the user does not exist. */
    CompletionStage<Optional<String>> passwordHash(Username user);

    /** Whether the user exists. */
    default CompletionStage<Boolean> exists(Username user) {
        return passwordHash(user).thenApply(Optional::isPresent);
    }

    /** All users, sorted by name. Intended for administration (bounded by the number of accounts). */
    CompletionStage<List<Username>> list();

    /** Deletes the account (not yet its mail); completes with false when it did not exist. */
    CompletionStage<Boolean> delete(Username user);
}
