/// SIP/RTP media backend.
