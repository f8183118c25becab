/** JNA plumbing for {@link dev.qmt4j.nativeplugin.NativeProvider}; not API. */
package dev.qmt4j.nativeplugin.internal;
