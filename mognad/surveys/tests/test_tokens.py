from mognad.platform.hashing import sha256_hex
from mognad.surveys import tokens


def test_a_token_carries_256_bits_and_is_url_safe():
    token = tokens.token_for(tokens.new_nonce())
    assert tokens.looks_like_token(token)
    assert len(token) == 43  # 43 base64 characters = 258 bits of room for 256 bits of HMAC


def test_the_same_nonce_gives_the_same_link_so_reminders_repeat_it():
    nonce = tokens.new_nonce()
    assert tokens.token_for(nonce) == tokens.token_for(nonce)
    assert tokens.token_for(nonce) != tokens.token_for(tokens.new_nonce())


def test_the_token_depends_on_the_secret_key(settings):
    nonce = tokens.new_nonce()
    before = tokens.token_for(nonce)
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert tokens.token_for(nonce) != before


def test_the_stored_hash_and_the_response_key_differ_and_neither_is_the_token():
    token = tokens.token_for(tokens.new_nonce())
    assert sha256_hex(token) != tokens.response_key(token)
    assert token not in (sha256_hex(token), tokens.response_key(token))


def test_malformed_tokens_are_recognised():
    assert not tokens.looks_like_token("")
    assert not tokens.looks_like_token("a" * 42)
    assert not tokens.looks_like_token("a" * 42 + "/")
