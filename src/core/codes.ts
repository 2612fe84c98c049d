/**
 * Result codes of `send()`, with the numbers and names of the C++ SDK's `SdkCode`
 * (`dataproxy-sdk-cpp/src/core/api_code.h`), so code written against the C++ or Python SDK
 * reads the same here.
 */
export const SdkCode = {
  kSuccess: 0,
  kMultiInit: 4,
  kErrorInit: 5,
  kMsgTooLong: 6,
  kInvalidInput: 7,
  kRecvBufferFull: 8,
  kFailGetConn: 9,
  kSendAfterClose: 10,
  kMultiExits: 11,
  kInvalidBid: 12,
  kFailGetBufferPool: 13,
  kFailGetSendBuf: 14,
  kMsgEmpty: 15,
  kErrorCURL: 16,
  kErrorParseJson: 17,
  kFailGetRevGroup: 18,
  kFailGetProxyConf: 19,
  kFailSendProxy: 20,
  kFailSParseResponse: 21,
  kSendBeforeInit: 22,
  kFailMallocBuf: 23,
  kMsgSizeLargerThanPackSize: 24,
  kSendBufferFull: 25,
  kBufferManagerFull: 26,
} as const;

export type SdkCodeName = keyof typeof SdkCode;
export type SdkCodeValue = (typeof SdkCode)[SdkCodeName];

/**
 * The C++ name of a result code, or `undefined` for numbers the SDK never returns. A search, not
 * a table built at import: importing must cost nothing, and this runs only on failures.
 * @example sdkCodeName(8) // 'kRecvBufferFull'
 */
export function sdkCodeName(code: number): SdkCodeName | undefined {
  return (Object.keys(SdkCode) as SdkCodeName[]).find((name) => SdkCode[name] === code);
}

/**
 * DataProxy HTTP source reply codes (spec 1.7), as numbers. The server sends them as JSON strings.
 */
export const DataProxyCode = {
  success: 0,
  sinkNotReady: 1,
  serviceClosed: 2,
  decodeFailure: 31,
  badMethod: 32,
  badPath: 35,
  badContentType: 36,
  groupIdBlank: 100,
  streamIdBlank: 101,
  bodyAbsent: 103,
  bodyTooLong: 104,
  bodyBlank: 111,
  channelPutFailure: 114,
  topicNotConfigured: 115,
  unknownError: 2147483647,
} as const;
