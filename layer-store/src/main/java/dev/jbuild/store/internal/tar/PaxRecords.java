package dev.jbuild.store.internal.tar;

import dev.jbuild.store.LayerRejectedException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;

/** Encodes and decodes PAX extended header records ({@code "<len> <key>=<value>\n"}), values kept as bytes. */
final class PaxRecords {
    private PaxRecords() {
    }

    static Map<String, byte[]> parse(byte[] data, String entry) throws LayerRejectedException {
        Map<String, byte[]> records = new LinkedHashMap<>();
        int position = 0;
        while (position < data.length) {
            if (data[position] == 0) {
                break;
            }
            int space = position;
            long length = 0;
            while (space < data.length && data[space] != ' ') {
                int digit = data[space] - '0';
                if (digit < 0 || digit > 9 || length > data.length) {
                    throw new LayerRejectedException(entry, "malformed PAX record length");
                }
                length = length * 10 + digit;
                space++;
            }
            long end = position + length;
            if (space >= data.length || length <= 0 || end > data.length || data[(int) end - 1] != '\n') {
                throw new LayerRejectedException(entry, "malformed PAX record");
            }
            int equals = space + 1;
            while (equals < end && data[equals] != '=') {
                equals++;
            }
            if (equals >= end) {
                throw new LayerRejectedException(entry, "PAX record without '='");
            }
            String key = new String(data, space + 1, equals - space - 1, StandardCharsets.UTF_8);
            records.put(key, Arrays.copyOfRange(data, equals + 1, (int) end - 1));
            position = (int) end;
        }
        return records;
    }

    static byte[] encode(SortedMap<String, byte[]> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> record : records.entrySet()) {
            byte[] key = record.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] value = record.getValue();
            int body = 1 + key.length + 1 + value.length + 1;
            int length = body + 1;
            while (length != body + Integer.toString(length).length()) {
                length = body + Integer.toString(length).length();
            }
            out.writeBytes(Integer.toString(length).getBytes(StandardCharsets.US_ASCII));
            out.write(' ');
            out.writeBytes(key);
            out.write('=');
            out.writeBytes(value);
            out.write('\n');
        }
        return out.toByteArray();
    }
}
