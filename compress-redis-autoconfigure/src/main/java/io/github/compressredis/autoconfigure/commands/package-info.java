/**
 * What the wrapped templates send to Redis: members Redis compares by bytes are written
 * plain, and commands that would read or change a value's stored bytes in Redis answer
 * for the original value or refuse.
 */
@NullMarked
package io.github.compressredis.autoconfigure.commands;

import org.jspecify.annotations.NullMarked;
