"""Pure renderers: data in, text (+ keyboard) out. Testable without Telegram."""
