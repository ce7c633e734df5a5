// The version Hangar reports (`/version`, runners' DRONE_SYSTEM_VERSION, `hangar --version`).
export const VERSION = '0.1.0';
