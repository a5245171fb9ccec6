package io.stratusmail.mailbox.quota;

import java.util.Objects;

/**
 * A user's own quota settings, as an administrator set them ({@code stratus user quota}).
 *
 * @param storage limit of {@link QuotaResource#STORAGE}, in octets
 * @param messages limit of {@link QuotaResource#MESSAGE}, in messages
 */
public record UserQuota(QuotaLimit storage, QuotaLimit messages) {

    /** Nothing set: the node-wide defaults apply to both resources. */
    public static final UserQuota DEFAULTS = new UserQuota(QuotaLimit.DEFAULT, QuotaLimit.DEFAULT);

    public UserQuota {
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(messages, "messages");
    }

    /** The effective limits: each resource's own setting, else the node-wide default. */
    public QuotaLimits resolve(QuotaLimits nodeDefaults) {
        return new QuotaLimits(storage.resolve(nodeDefaults.storage()), messages.resolve(nodeDefaults.messages()));
    }
}
