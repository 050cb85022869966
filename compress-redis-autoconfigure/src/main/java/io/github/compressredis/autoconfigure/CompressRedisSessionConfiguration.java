package io.github.compressredis.autoconfigure;

import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.serializer.JdkSerializationRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializer;

/**
 * Compresses Spring Session (Redis) attributes by providing the
 * {@code springSessionDefaultRedisSerializer} bean Spring Session looks up; an
 * application's own bean of that name is wrapped instead.
 *
 * @author compress-redis contributors
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "org.springframework.session.data.redis.RedisSessionRepository")
@ConditionalOnBooleanProperty(name = "compress.redis.session.enabled", matchIfMissing = true)
class CompressRedisSessionConfiguration implements BeanClassLoaderAware {

	/** The bean name Spring Session Data Redis uses for its default serializer. */
	static final String SESSION_SERIALIZER_BEAN_NAME = "springSessionDefaultRedisSerializer";

	private ClassLoader classLoader = getClass().getClassLoader();

	@Override
	public void setBeanClassLoader(ClassLoader classLoader) {
		this.classLoader = classLoader;
	}

	@Bean(name = SESSION_SERIALIZER_BEAN_NAME)
	@ConditionalOnMissingBean(name = SESSION_SERIALIZER_BEAN_NAME)
	RedisSerializer<Object> springSessionDefaultRedisSerializer(
			CompressingSerializerFactory compressingSerializerFactory) {
		return compressingSerializerFactory.wrap(new JdkSerializationRedisSerializer(this.classLoader), "session");
	}

}
