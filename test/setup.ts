// Loaded by mocha before every suite.
process.env.NODE_ENV = 'test';
// A non-UTC zone flushes out code that assumes UTC days (Ghost's CI does the same).
process.env.TZ = process.env.TZ || 'America/New_York';
