import type { FastifyPluginAsync } from 'fastify';
import { type CaptureState, type PcapQuery, PcapQuerySchema, PCAP_PER_CONNECTION_BYTES } from '../../shared/wire.ts';
import type { CaptureService } from '../capture/capture-service.ts';
import type { ResponseBudget } from './response-budget.ts';

export const PCAP_CONTENT_TYPE = 'application/vnd.tcpdump.pcap';

/** A pcap file's own headers on top of the frames kept: the file header and 16 bytes per frame. */
const PCAP_HEADROOM_BYTES = 1024 * 1024;

/**
 * GET /api/capture: is the wire capture on, and if not, why and how to turn it on.
 * GET /api/capture.pcap?connId=N: the frames kept of one connection, as a pcap file for Wireshark.
 */
export const captureRoute: FastifyPluginAsync<{ capture: CaptureService; budget: ResponseBudget }> = async (app, { capture, budget }) => {
  app.get('/api/capture', async (): Promise<CaptureState> => capture.stateNow());

  app.get<{ Querystring: PcapQuery }>('/api/capture.pcap', { schema: { querystring: PcapQuerySchema } }, async (req, reply) => {
    const { connId } = req.query;
    const reserved = budget.admit(reply, PCAP_PER_CONNECTION_BYTES + PCAP_HEADROOM_BYTES, 'capture.pcap');
    if (reserved === null) return reply;
    const pcap = await capture.pcapFor(connId);
    reserved.settle(pcap?.length ?? 0);
    if (pcap === undefined) {
      const state = await capture.stateNow();
      const why = state.active ? 'no frames of it were captured or kept' : `capture is off: ${state.reason}`;
      return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `query.connId: nothing captured for connection ${connId} (${why})` });
    }
    return reply
      .header('content-type', PCAP_CONTENT_TYPE)
      .header('content-disposition', `attachment; filename="tcpscope-conn-${connId}.pcap"`)
      .header('cache-control', 'no-store')
      .send(Buffer.from(pcap.buffer, pcap.byteOffset, pcap.byteLength));
  });
};
