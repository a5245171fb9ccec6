package io.stratusmail.lmtp.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.mailbox.user.Username;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TraceHeadersTest {

    @Test
    void nullSenderAndIpv6ClientAreWrittenAsRfc5321Says() {
        Envelope envelope = new Envelope("06GZZE6V7HAZWKTM", Optional.empty(), List.of(Username.of("a@example.com")),
                "mx.example.org", "IPv6:2001:db8::1", Instant.parse("2025-06-02T10:00:05Z"));
        String trace = new String(TraceHeaders.forRecipient(envelope, Username.of("a@example.com"), "mail.example"),
                StandardCharsets.US_ASCII);
        assertThat(trace).isEqualTo("""
                Return-Path: <>\r
                Delivered-To: a@example.com\r
                Received: from mx.example.org ([IPv6:2001:db8::1])\r
                \tby mail.example with LMTP id 06GZZE6V7HAZWKTM;\r
                \tMon, 2 Jun 2025 10:00:05 +0000\r
                """);
    }

    @Test
    void receivedNamesTheProtocolAndUtf8FieldsAreWrittenInUtf8() {
        Instant at = Instant.parse("2025-06-02T10:00:05Z");
        Username dorte = Username.of("dörte@bücher.example");
        Envelope utf8OverTls = new Envelope("06GZZE6V7HAZWKTM", Optional.of("jürgen@bücher.example"), List.of(dorte),
                "mx.example.org", "192.0.2.1", at, true, true);
        String trace = new String(TraceHeaders.forRecipient(utf8OverTls, dorte, "mail.example"), StandardCharsets.UTF_8);
        assertThat(trace).isEqualTo("""
                Return-Path: <jürgen@bücher.example>\r
                Delivered-To: dörte@bücher.example\r
                Received: from mx.example.org ([192.0.2.1])\r
                \tby mail.example with UTF8LMTPS id 06GZZE6V7HAZWKTM;\r
                \tMon, 2 Jun 2025 10:00:05 +0000\r
                """);
        // RFC 3848 and RFC 6531 section 3.7.3 keywords
        assertThat(TraceHeaders.protocol(new Envelope("I", Optional.empty(), List.of(dorte), "c", "192.0.2.1", at,
                false, true))).isEqualTo("LMTPS");
        assertThat(TraceHeaders.protocol(new Envelope("I", Optional.empty(), List.of(dorte), "c", "192.0.2.1", at,
                true, false))).isEqualTo("UTF8LMTP");
        assertThat(TraceHeaders.protocol(new Envelope("I", Optional.empty(), List.of(dorte), "c", "192.0.2.1", at)))
                .isEqualTo("LMTP");
    }

    @Test
    void deliveryIdsAreCrockfordBase32SortedByTimeAndDistinct() {
        Instant t = Instant.parse("2025-06-02T10:00:00Z");
        String earlier = DeliveryId.next(t);
        String later = DeliveryId.next(t.plusMillis(1));
        assertThat(earlier).matches("[0-9A-HJKMNP-TV-Z]{16}");
        assertThat(later).isGreaterThan(earlier);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(DeliveryId.next(t));
        }
        assertThat(ids).hasSize(10_000);
    }
}
