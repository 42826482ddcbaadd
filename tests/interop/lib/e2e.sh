# shellcheck shell=bash disable=SC2153  # E2E_* are set by the sourcing test
# Interop harness: the steps end-to-end Cases 1 and 2 share (owned by the interop harness):
# step 3 (the state map of DESIGN.md, both ways) and step 8 (kill -9 and restart), between a
# SIP user served by the Microsoft-dialect peer (lib/ms_peer.sh) and an XMPP user logged in
# with an interactive client (lib/common.sh). Source after common.sh, ms_peer.sh, fedgate.sh.
# Set before use: E2E_MSP (the peer's name: its events are $IA_DIR/$E2E_MSP.jsonl), E2E_SIP
# (the SIP user's address), E2E_XC (the XMPP client's name), E2E_XMPP (its bare JID).

E2E_STEP=0

# e2e_lync_to_xmpp AVAILABILITY NOTE SHOW STATUS: the SIP user's state → what the XMPP user
# sees (SHOW "unavailable": an unavailable presence).
e2e_lync_to_xmpp() {
  local avail="$1" note="$2" show="$3" status="$4" n=$((++E2E_STEP))
  ia_xc "$E2E_XC" "forget $E2E_SIP"
  msp_do "$E2E_MSP" "l2x$n" "{\"cmd\": \"set_state\", \"user\": \"$E2E_SIP\", \"availability\": $avail, \"note\": \"$note\"}"
  if [[ "$show" == unavailable ]]; then
    ia_xc "$E2E_XC" "wait-presence $E2E_SIP type=unavailable"
  else
    ia_xc "$E2E_XC" "wait-presence $E2E_SIP show=$show status=${status// /+}"
  fi
}

# e2e_xmpp_to_lync SHOW STATUS AVAILABILITY: the XMPP user's presence → what the SIP user's
# peer sees (SHOW empty: available; "unavailable": offline, which carries no note).
e2e_xmpp_to_lync() {
  local show="$1" status="$2" avail="$3" n=$((++E2E_STEP)) note
  if [[ "$show" == unavailable ]]; then
    ia_xc "$E2E_XC" "unavailable status=${status// /+}"
  elif [[ -z "$show" ]]; then
    ia_xc "$E2E_XC" "presence status=${status// /+}"
  else
    ia_xc "$E2E_XC" "presence show=$show status=${status// /+}"
  fi
  note=", \"note\": \"$status\""
  [[ "$show" == unavailable ]] && note=""
  msp_expect "$E2E_MSP" "x2l$n" 20 "{\"ev\": \"presence\", \"watcher\": \"$E2E_SIP\", \"presentity\": \"$E2E_XMPP\", \"availability\": $avail$note}"
}

# e2e_states_to_xmpp / e2e_states_to_sip: step 3, every row of the state-map table.
e2e_states_to_xmpp() {
  ia_log "3. Lync → XMPP: every availability range of the state-map table, with the status text"
  e2e_lync_to_xmpp 5000 "" away "Inactive"
  e2e_lync_to_xmpp 7000 "" away "Busy"
  e2e_lync_to_xmpp 10000 "" away "Busy"
  e2e_lync_to_xmpp 13000 "" away "Be Right Back"
  e2e_lync_to_xmpp 16000 "" away ""
  e2e_lync_to_xmpp 7000 "In a call" away "In a call"
  e2e_lync_to_xmpp 3500 "back at my desk" "" "back at my desk"
  e2e_lync_to_xmpp 18500 "" unavailable ""
  e2e_lync_to_xmpp 3500 "online again" "" "online again"
}
e2e_states_to_sip() {
  ia_log "3. XMPP → Lync: away, xa, dnd, chat, available, unavailable, with the note"
  e2e_xmpp_to_lync away "gone for coffee" 15500
  e2e_xmpp_to_lync xa "on holiday" 15500
  e2e_xmpp_to_lync dnd "do not disturb" 6500
  e2e_xmpp_to_lync chat "chatty" 3500
  e2e_xmpp_to_lync "" "plain available" 3500
  e2e_xmpp_to_lync unavailable "logging off" 18500
}

# e2e_wait_sip_dialogs N: until fedgate's sip_dialogs holds N rows of this node (10 s). Its
# dialogs are written behind (one coalesced write per 200 ms interval): a crash right after a
# subscription loses that dialog, and then the partner's refresh gets 481 and re-subscribes.
e2e_wait_sip_dialogs() {
  local want="$1" stored=0 i
  for ((i = 0; i < 100; i++)); do
    stored="$(fg_sql "SELECT count(*) FROM sip_dialogs WHERE node_id = '$FG_NODE_ID'")"
    ((stored >= want)) && return 0
    sleep 0.1
  done
  ia_fail "sip_dialogs holds $stored rows, not the $want dialogs"
}

# e2e_restart: step 8 after the mutual subscription (its 2 SIP dialogs stored): kill -9 of
# fedgate, a start on the same database; then the SIP user's change reaches the XMPP user and
# the XMPP user's change reaches the SIP user in the restored SIP dialog, without anyone
# subscribing again.
e2e_restart() {
  e2e_wait_sip_dialogs 2
  ia_log "8. kill -9 of fedgate, restart on the same database"
  fg_kill9
  fg_start
  ia_wait_grep "$FG_LOG" 'switchboard.restored' 30 || ia_fail "fedgate did not restore its state"
  ia_xc "$E2E_XC" "forget $E2E_SIP"
  msp_do "$E2E_MSP" r8a "{\"cmd\": \"set_state\", \"user\": \"$E2E_SIP\", \"availability\": 13000, \"note\": \"after the restart\"}"
  ia_xc "$E2E_XC" "wait-presence $E2E_SIP show=away status=after+the+restart"
  local note="${E2E_XMPP%%@*} after the restart"
  ia_xc "$E2E_XC" "presence show=dnd status=${note// /+}"
  msp_expect "$E2E_MSP" r8b 20 "{\"ev\": \"presence\", \"watcher\": \"$E2E_SIP\", \"presentity\": \"$E2E_XMPP\", \"availability\": 6500, \"note\": \"$note\"}"
}
