package io.github.compressredis.autoconfigure.commands;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.internal.format.WireFormat;

import org.springframework.data.domain.Range;
import org.springframework.data.domain.Range.Bound;
import org.springframework.data.geo.Point;
import org.springframework.data.redis.connection.RedisGeoCommands.GeoLocation;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.zset.DefaultTuple;
import org.springframework.data.redis.connection.zset.Tuple;
import org.springframework.data.redis.domain.geo.GeoReference;
import org.springframework.data.redis.domain.geo.GeoReference.GeoMemberReference;

/**
 * Writes the arguments Redis compares by bytes in their one canonical form, plain: set,
 * sorted-set and geo members, HyperLogLog elements, list values, pub/sub messages, stream
 * field values and script arguments. The template's value serializer may have framed them
 * (compressed, or a stored frame escaping plain bytes); a frame is decoded back to the
 * bytes the application's serializer produced, so equal members stay equal whatever the
 * policy, rollout or dictionary said at the time.
 *
 * @author compress-redis contributors
 */
final class Members {

	/**
	 * Connection methods whose arguments from the given index on are members or values
	 * Redis compares (arguments before it are keys), and the bytes APPEND and SETRANGE
	 * write into a value. Arguments that are not bytes (a score, an index, a count) are
	 * left alone.
	 */
	private static final Map<String, Integer> FIRST_MEMBER_ARGUMENT = Map.ofEntries(Map.entry("sAdd", 1),
			Map.entry("sRem", 1), Map.entry("sIsMember", 1), Map.entry("sMIsMember", 1), Map.entry("sMove", 2),
			Map.entry("lPush", 1), Map.entry("rPush", 1), Map.entry("lPushX", 1), Map.entry("rPushX", 1),
			Map.entry("lSet", 1), Map.entry("lInsert", 1), Map.entry("lRem", 1), Map.entry("lPos", 1),
			Map.entry("zAdd", 1), Map.entry("zRem", 1), Map.entry("zScore", 1), Map.entry("zMScore", 1),
			Map.entry("zRank", 1), Map.entry("zRevRank", 1), Map.entry("zRankWithScore", 1),
			Map.entry("zRevRankWithScore", 1), Map.entry("zIncrBy", 1), Map.entry("zRangeByLex", 1),
			Map.entry("zRevRangeByLex", 1), Map.entry("zLexCount", 1), Map.entry("zRemRangeByLex", 1),
			Map.entry("zRangeStoreByLex", 2), Map.entry("zRangeStoreRevByLex", 2), Map.entry("geoAdd", 1),
			Map.entry("geoDist", 1), Map.entry("geoHash", 1), Map.entry("geoPos", 1), Map.entry("geoRadiusByMember", 1),
			Map.entry("geoSearch", 1), Map.entry("geoSearchStore", 2), Map.entry("pfAdd", 1), Map.entry("publish", 1),
			Map.entry("xAdd", 0), Map.entry("append", 1), Map.entry("setRange", 1));

	private final ValueCompressor compressor;

	Members(ValueCompressor compressor) {
		this.compressor = compressor;
	}

	/**
	 * Return the arguments of a connection method with every member in canonical form, or
	 * the same array when the method takes none.
	 * @param method the connection method name
	 * @param args its arguments
	 * @return the arguments to send
	 */
	Object[] canonicalize(String method, Object[] args) {
		if (method.equals("eval") || method.equals("evalSha")) {
			// (script, returnType, numKeys, keysAndArgs...): the arguments after the keys
			if (args.length == 4 && args[2] instanceof Integer numKeys && args[3] instanceof byte[][] keysAndArgs) {
				byte[][] canonical = keysAndArgs.clone();
				for (int i = numKeys; i < canonical.length; i++) {
					canonical[i] = canonical(canonical[i]);
				}
				Object[] result = args.clone();
				result[3] = canonical;
				return result;
			}
			return args;
		}
		Integer first = FIRST_MEMBER_ARGUMENT.get(method);
		if (first == null) {
			return args;
		}
		Object[] result = args.clone();
		for (int i = first; i < result.length; i++) {
			result[i] = canonicalArgument(result[i]);
		}
		return result;
	}

	@SuppressWarnings("unchecked")
	private Object canonicalArgument(Object arg) {
		if (arg instanceof byte[] bytes) {
			return canonical(bytes);
		}
		if (arg instanceof byte[][] array) {
			byte[][] result = new byte[array.length][];
			for (int i = 0; i < array.length; i++) {
				result[i] = canonical(array[i]);
			}
			return result;
		}
		if (arg instanceof GeoLocation<?> location && location.getName() instanceof byte[] name) {
			return new GeoLocation<>(canonical(name), location.getPoint());
		}
		if (arg instanceof GeoMemberReference<?> reference && reference.getMember() instanceof byte[] member) {
			return GeoReference.fromMember(canonical(member));
		}
		if (arg instanceof Range<?> range) {
			return canonicalRange(range);
		}
		if (arg instanceof MapRecord<?, ?, ?> record) {
			return canonicalRecord((MapRecord<byte[], byte[], byte[]>) record);
		}
		if (arg instanceof Map<?, ?> map) {
			Map<Object, Object> result = new LinkedHashMap<>();
			map.forEach(
					(member, point) -> result.put((member instanceof byte[] bytes) ? canonical(bytes) : member, point));
			return result;
		}
		if (arg instanceof Set<?> set) {
			Set<Object> result = new LinkedHashSet<>();
			set.forEach((element) -> result.add(canonicalElement(element)));
			return result;
		}
		if (arg instanceof Collection<?> collection) {
			List<Object> result = new ArrayList<>();
			collection.forEach((element) -> result.add(canonicalElement(element)));
			return result;
		}
		return arg;
	}

	private Object canonicalElement(Object element) {
		if (element instanceof Tuple tuple) {
			return new DefaultTuple(canonical(tuple.getValue()), tuple.getScore());
		}
		if (element instanceof Point) {
			return element;
		}
		return canonicalArgument(element);
	}

	private Range<?> canonicalRange(Range<?> range) {
		return Range.of(canonicalBound(range.getLowerBound()), canonicalBound(range.getUpperBound()));
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private Bound canonicalBound(Bound<?> bound) {
		Object value = bound.getValue().orElse(null);
		if (!(value instanceof byte[] bytes)) {
			return bound;
		}
		byte[] canonical = canonical(bytes);
		return bound.isInclusive() ? Bound.inclusive((Object) canonical) : Bound.exclusive((Object) canonical);
	}

	private MapRecord<byte[], byte[], byte[]> canonicalRecord(MapRecord<byte[], byte[], byte[]> record) {
		Map<byte[], byte[]> values = new LinkedHashMap<>();
		record.getValue().forEach((field, value) -> values.put(field, canonical(value)));
		MapRecord<byte[], byte[], byte[]> canonical = MapRecord.create(record.getStream(), values);
		RecordId id = record.getId();
		return canonical.withId(id);
	}

	/**
	 * Return the canonical form of one member: the original bytes of a frame, the bytes
	 * themselves when plain. Original bytes that begin with the magic keep their frame
	 * (written plain they would read as a frame); bytes that begin with the magic but do
	 * not decode are sent as they are.
	 * @param member the member as serialized
	 * @return the member to send
	 */
	byte[] canonical(byte[] member) {
		if (!WireFormat.isFramed(member)) {
			return member;
		}
		try {
			byte[] original = this.compressor.decompress(member);
			return WireFormat.isFramed(original) ? member : original;
		}
		catch (RuntimeException ex) {
			return member;
		}
	}

}
