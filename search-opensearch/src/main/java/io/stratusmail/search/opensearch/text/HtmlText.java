package io.stratusmail.search.opensearch.text;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The visible text of an HTML part, roughly, for the index: tags and comments removed, the content of
 * {@code script}, {@code style}, {@code head}-only elements dropped, character references decoded.
 *
 * <p>Not an HTML parser: it only has to give the words a reader sees, in order. Block-level tags become a
 * space so that words of adjacent paragraphs do not join; inline tags ({@code <b>}, {@code <span>}) do not,
 * so that {@code Hel<b>lo</b>} stays {@code Hello}. Runs in time linear in the input.
 */
public final class HtmlText {

    private static final Set<String> BLOCK_TAGS = Set.of(
            "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt", "fieldset",
            "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
            "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "title",
            "tr", "ul", "body", "html", "head", "img", "input", "option", "select", "textarea");

    /** Elements whose content is not text a reader sees. */
    private static final Set<String> SKIPPED_CONTENT = Set.of("script", "style", "title", "template");

    private static final Map<String, Integer> ENTITIES = entities();

    private HtmlText() {
    }

    /**
     * Extracts the text of an HTML document or fragment.
     *
     * @param html the HTML source, possibly malformed
     * @return the text, with tags replaced as described above; whitespace is not normalised here
     */
    public static String toText(String html) {
        StringBuilder out = new StringBuilder(html.length() / 2);
        int i = 0;
        int n = html.length();
        while (i < n) {
            char c = html.charAt(i);
            if (c == '<') {
                i = tag(html, i, out);
            } else if (c == '&') {
                i = reference(html, i, out);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** Handles the markup starting at {@code start} ({@code '<'}); answers the index after it. */
    private static int tag(String html, int start, StringBuilder out) {
        int n = html.length();
        if (html.startsWith("<!--", start)) {
            int end = html.indexOf("-->", start + 4);
            return end < 0 ? n : end + 3;
        }
        int nameStart = start + 1;
        boolean closing = nameStart < n && html.charAt(nameStart) == '/';
        if (closing) {
            nameStart++;
        }
        if (nameStart >= n) {
            out.append('<');
            return start + 1;
        }
        char first = html.charAt(nameStart);
        if (!Character.isLetter(first) && first != '!' && first != '?') {
            out.append('<'); // a lone '<' in text, as in "a < b"
            return start + 1;
        }
        int nameEnd = nameStart;
        while (nameEnd < n && isNameChar(html.charAt(nameEnd))) {
            nameEnd++;
        }
        String name = html.substring(nameStart, nameEnd).toLowerCase(Locale.ROOT);
        int end = endOfTag(html, nameEnd);
        if (BLOCK_TAGS.contains(name)) {
            out.append(' ');
        }
        if (!closing && SKIPPED_CONTENT.contains(name)) {
            int close = indexOfIgnoreCase(html, "</" + name, end);
            return close < 0 ? n : endOfTag(html, close + 2 + name.length());
        }
        return end;
    }

    /**
     * Index after the {@code '>'} that closes a tag. A quote opens a quoted attribute value only right after
     * {@code '='}, so that an apostrophe in an unquoted value cannot swallow the text that follows.
     */
    private static int endOfTag(String html, int from) {
        char quote = 0;
        char previous = 0;
        for (int i = from; i < html.length(); i++) {
            char c = html.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if ((c == '"' || c == '\'') && previous == '=') {
                quote = c;
            } else if (c == '>') {
                return i + 1;
            }
            if (!Character.isWhitespace(c)) {
                previous = c;
            }
        }
        return html.length();
    }

    /** Decodes the character reference at {@code start} ({@code '&'}); answers the index after it. */
    private static int reference(String html, int start, StringBuilder out) {
        int semicolon = html.indexOf(';', start + 1);
        if (semicolon < 0 || semicolon - start > 12) {
            out.append('&');
            return start + 1;
        }
        String body = html.substring(start + 1, semicolon);
        int codePoint = -1;
        if (body.startsWith("#x") || body.startsWith("#X")) {
            codePoint = parse(body.substring(2), 16);
        } else if (body.startsWith("#")) {
            codePoint = parse(body.substring(1), 10);
        } else {
            Integer named = ENTITIES.get(body);
            codePoint = named == null ? -1 : named;
        }
        if (codePoint <= 0 || codePoint > Character.MAX_CODE_POINT
                || (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE)) {
            out.append('&');
            return start + 1;
        }
        out.appendCodePoint(codePoint);
        return semicolon + 1;
    }

    private static int parse(String digits, int radix) {
        if (digits.isEmpty() || digits.length() > 7) {
            return -1;
        }
        try {
            return Integer.parseInt(digits, radix);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '-' || c == ':' || c == '!' || c == '?';
    }

    private static int indexOfIgnoreCase(String text, String needle, int from) {
        int last = text.length() - needle.length();
        for (int i = from; i <= last; i++) {
            if (text.regionMatches(true, i, needle, 0, needle.length())) {
                return i;
            }
        }
        return -1;
    }

    private static Map<String, Integer> entities() {
        Map<String, Integer> map = new HashMap<>();
        map.put("amp", (int) '&');
        map.put("lt", (int) '<');
        map.put("gt", (int) '>');
        map.put("quot", (int) '"');
        map.put("apos", (int) '\'');
        // HTML 4 names of U+00A0..U+00FF, in code point order.
        String[] latin1 = {
            "nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect", "uml", "copy", "ordf", "laquo",
            "not", "shy", "reg", "macr", "deg", "plusmn", "sup2", "sup3", "acute", "micro", "para", "middot",
            "cedil", "sup1", "ordm", "raquo", "frac14", "frac12", "frac34", "iquest", "Agrave", "Aacute", "Acirc",
            "Atilde", "Auml", "Aring", "AElig", "Ccedil", "Egrave", "Eacute", "Ecirc", "Euml", "Igrave", "Iacute",
            "Icirc", "Iuml", "ETH", "Ntilde", "Ograve", "Oacute", "Ocirc", "Otilde", "Ouml", "times", "Oslash",
            "Ugrave", "Uacute", "Ucirc", "Uuml", "Yacute", "THORN", "szlig", "agrave", "aacute", "acirc", "atilde",
            "auml", "aring", "aelig", "ccedil", "egrave", "eacute", "ecirc", "euml", "igrave", "iacute", "icirc",
            "iuml", "eth", "ntilde", "ograve", "oacute", "ocirc", "otilde", "ouml", "divide", "oslash", "ugrave",
            "uacute", "ucirc", "uuml", "yacute", "thorn", "yuml"};
        for (int i = 0; i < latin1.length; i++) {
            map.put(latin1[i], 0xA0 + i);
        }
        map.put("euro", 0x20AC);
        map.put("ndash", 0x2013);
        map.put("mdash", 0x2014);
        map.put("lsquo", 0x2018);
        map.put("rsquo", 0x2019);
        map.put("sbquo", 0x201A);
        map.put("ldquo", 0x201C);
        map.put("rdquo", 0x201D);
        map.put("bdquo", 0x201E);
        map.put("bull", 0x2022);
        map.put("hellip", 0x2026);
        map.put("trade", 0x2122);
        map.put("zwnj", 0x200C);
        map.put("zwj", 0x200D);
        map.put("thinsp", 0x2009);
        map.put("ensp", 0x2002);
        map.put("emsp", 0x2003);
        return Map.copyOf(map);
    }
}
